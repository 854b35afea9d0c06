//! `kd export`: a saved student in a form that runs elsewhere — today one SQL `SELECT`
//! (`kd_students::sql`) that computes its outputs from a table's columns.

use std::path::PathBuf;

use kd::students::SavedStudent;
use kd::students::sql::Dialect;

/// Arguments of `kd export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A student saved by `kd distill --out`.
    model: PathBuf,
    /// The target form: sql.
    #[arg(long, value_enum)]
    to: Target,
    /// The SQL dialect: ansi, postgres, duckdb or sqlite (constants are cast to double
    /// precision where the dialect reads decimals exactly).
    #[arg(long, value_enum, default_value_t = DialectArg::Ansi)]
    dialect: DialectArg,
    /// The table holding the features as columns.
    #[arg(long, default_value = "data")]
    table: String,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Target {
    Sql,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum DialectArg {
    Ansi,
    Postgres,
    Duckdb,
    Sqlite,
}

/// Reads the student and writes its SQL.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let text = super::read_model_file(&args.model)?;
    let saved = super::in_model_file(&args.model, SavedStudent::from_json(&text))?;
    let dialect = match args.dialect {
        DialectArg::Ansi => Dialect::Ansi,
        DialectArg::Postgres => Dialect::Postgres,
        DialectArg::Duckdb => Dialect::Duckdb,
        DialectArg::Sqlite => Dialect::Sqlite,
    };
    match args.to {
        Target::Sql => Ok(saved.to_sql(dialect, &args.table)?),
    }
}
