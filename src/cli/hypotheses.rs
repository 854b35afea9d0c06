//! `kd hypotheses`: the assumptions of a linear regression of the target on the features.
//! Flags become the library's [`BatteryOptions`]; the rendering is in `hypotheses_text.rs`.

use kd::core::data::{Dataset, TaskHint};
use kd::hypotheses::regression::{
    Alternative, BatteryOptions, BatteryReport, BgForm, BpVariant, DwMethod, GqOptions, Ols, RainbowOptions,
    RainbowRows, ResetKind, ResetOptions, battery,
};

use super::choice::ChoiceParser;
use super::input::Input;
use super::{Format, to_json};

/// Arguments of `kd hypotheses`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub(super) input: Input,
    /// Lags of Breusch–Godfrey, Ljung–Box, Box–Pierce and ARCH (default min(10, n div 5)).
    #[arg(long)]
    lags: Option<usize>,
    /// Degrees of freedom Ljung–Box and Box–Pierce subtract (parameters of a fitted ARMA model).
    #[arg(long, default_value_t = 0)]
    fitdf: usize,
    /// Significance level of the verdicts, in (0, 1).
    #[arg(long, default_value_t = 0.05, allow_negative_numbers = true)]
    pub(super) alpha: f64,
    /// Run the Chow test with the first K rows as the first regime.
    #[arg(long, value_name = "K")]
    break_at: Option<usize>,
    /// Breusch–Pagan statistic: koenker (robust, default) or original.
    #[arg(long, value_parser = ChoiceParser::<BpVariant>::new(), default_value = "koenker")]
    breusch_pagan: BpVariant,
    /// Breusch–Godfrey statistic: chisq (LM = nR², default) or f.
    #[arg(long, value_parser = ChoiceParser::<BgForm>::new(), default_value = "chisq")]
    breusch_godfrey: BgForm,
    /// Durbin–Watson alternative: greater (positive autocorrelation, default), less, two-sided.
    #[arg(long, value_parser = ChoiceParser::<Alternative>::new(), default_value = "greater")]
    dw_alternative: Alternative,
    /// Durbin–Watson p-value: auto (exact below 100 rows, as R), exact (Imhof, up to 2000 rows), normal.
    #[arg(long, value_parser = ChoiceParser::<DwMethod>::new(), default_value = "auto")]
    dw_method: DwMethod,
    /// Goldfeld–Quandt alternative: greater (variance increases, default), less, two-sided.
    #[arg(long, value_parser = ChoiceParser::<Alternative>::new(), default_value = "greater")]
    gq_alternative: Alternative,
    /// Share of the rows around the middle left out of Goldfeld–Quandt's two segments, in [0, 1).
    #[arg(long, default_value_t = 0.0)]
    gq_drop: f64,
    /// Share of the rows in the rainbow test's central subset, in (0, 1).
    #[arg(long, default_value_t = 0.5)]
    rainbow_fraction: f64,
    /// Centre of the rainbow test's subset as a share of the rows, in (0, 1).
    #[arg(long, default_value_t = 0.5)]
    rainbow_center: f64,
    /// Which rows make the rainbow subset: statsmodels (default) or r (R's raintest).
    #[arg(long, value_parser = ChoiceParser::<RainbowRows>::new(), default_value = "statsmodels")]
    rainbow_rows: RainbowRows,
    /// RESET powers, comma separated, each from 2 to 10.
    #[arg(long, value_delimiter = ',', default_value = "2,3")]
    reset_powers: Vec<u32>,
    /// What RESET raises to the powers: fitted (default) or regressor.
    #[arg(long, value_parser = ChoiceParser::<ResetKind>::new(), default_value = "fitted")]
    reset_type: ResetKind,
    /// Newey–West lag (default ⌊4 (n/100)^(2/9)⌋).
    #[arg(long)]
    hac_lags: Option<usize>,
    /// Influence: summary (Cook's distance, outliers, leverage; default) or all (R's
    /// influence.measures per row).
    #[arg(long, value_enum, default_value_t = InfluenceArg::Summary)]
    influence: InfluenceArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum InfluenceArg {
    Summary,
    All,
}

impl Args {
    /// The library's options for these flags.
    fn options(&self) -> BatteryOptions {
        BatteryOptions {
            lags: self.lags,
            fitdf: self.fitdf,
            alpha: self.alpha,
            break_at: self.break_at,
            bp_variant: self.breusch_pagan,
            bg_form: self.breusch_godfrey,
            dw_alternative: self.dw_alternative,
            dw_method: self.dw_method,
            goldfeld_quandt: GqOptions { alternative: self.gq_alternative, drop: self.gq_drop },
            rainbow: RainbowOptions {
                fraction: self.rainbow_fraction,
                center: self.rainbow_center,
                rows: self.rainbow_rows,
            },
            reset: ResetOptions { powers: self.reset_powers.clone(), kind: self.reset_type },
            hac_lags: self.hac_lags,
            influence_measures: self.influence == InfluenceArg::All,
            skip_harvey_collier: false,
        }
    }
}

fn load(args: &Args) -> anyhow::Result<(Dataset, Ols)> {
    let (_, data) = args.input.load(TaskHint::Regression, &[])?;
    let ols = Ols::fit_dataset(&data)?;
    Ok((data, ols))
}

/// Fits the regression, runs the battery and formats the report.
pub fn run(args: &Args) -> anyhow::Result<String> {
    let options = args.options();
    options.check()?;
    let progress = super::progress::Progress::start("reading the data and fitting OLS");
    let (data, ols) = load(args)?;
    progress.step("running the tests");
    let b = battery(&ols, &options)?;
    let report = BatteryReport::new(&b, data.lines());
    match args.format {
        Format::Json => to_json(&report),
        Format::Table => Ok(super::hypotheses_text::text(&b, &report.influence, args, data.lines())),
    }
}
