//! `kd export`: a saved student, or an extracted m-of-n tree or decision set, in a form that
//! runs elsewhere — today one SQL `SELECT` (`kd_students::sql`, `kd_extract`'s `to_sql`) that
//! computes its outputs from a table's columns.

use std::path::PathBuf;

use kd::extract::SavedModel;
use kd::students::sql::Dialect;

/// Arguments of `kd export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A student saved by `kd distill --out`, or an m-of-n tree or decision set saved by `kd
    /// extract --out`.
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

/// Reads the model and writes its SQL.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let text = super::read_model_file(&args.model)?;
    let dialect = match args.dialect {
        DialectArg::Ansi => Dialect::Ansi,
        DialectArg::Postgres => Dialect::Postgres,
        DialectArg::Duckdb => Dialect::Duckdb,
        DialectArg::Sqlite => Dialect::Sqlite,
    };
    let Target::Sql = args.to;
    let saved = super::in_model_file(&args.model, SavedModel::from_json(&text))?;
    Ok(saved.to_sql(dialect, &args.table)?)
}
