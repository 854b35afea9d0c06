# Reference generalised VIFs (Fox & Monette 1992) from R's car::vif, for the regression
# battery's cases with a categorical feature (tests/golden/hypotheses: categorical, grunfeld).
#
# Run from the repository root (Debian bookworm: apt-get install r-base-core r-cran-car
# r-cran-jsonlite; the versions are asserted below and written into the file; numbers are
# written with 15 significant digits):
#     Rscript tests/golden/hypotheses_r/gvif.R
#
# For each case it fits lm(target ~ features), the categorical feature a factor (R's
# treatment contrasts, levels in code-point order as kd and patsy sort them; the GVIF does
# not depend on the reference level), and writes tests/golden/hypotheses_r/gvif.json with,
# per term, car::vif's GVIF, Df and GVIF^(1/(2*Df)).
suppressPackageStartupMessages({
  library(jsonlite)
  library(car)
})
stopifnot(R.version$major == "4", R.version$minor == "2.2")
stopifnot(as.character(packageVersion("car")) == "3.1.1")
stopifnot(as.character(packageVersion("jsonlite")) == "1.8.4")
invisible(Sys.setlocale("LC_COLLATE", "C"))

cases <- list(
  categorical = list(data = "tests/golden/hypotheses/categorical.csv", target = "y",
                     features = c("x1", "x2", "region"), factor = "region"),
  grunfeld = list(data = "data/statsmodels/grunfeld.csv", target = "invest",
                  features = c("value", "capital", "firm"), factor = "firm")
)

out <- list(source = sprintf("R %s.%s, car %s", R.version$major, R.version$minor,
                             as.character(packageVersion("car"))))
for (name in names(cases)) {
  case <- cases[[name]]
  d <- read.csv(case$data, stringsAsFactors = FALSE)
  d[[case$factor]] <- factor(d[[case$factor]], levels = sort(unique(d[[case$factor]])))
  fit <- lm(reformulate(case$features, case$target), data = d)
  v <- car::vif(fit)
  stopifnot(is.matrix(v))  # car gives the GVIF table only where some term has more than one column
  out[[name]] <- lapply(setNames(rownames(v), rownames(v)), function(term) {
    list(gvif = unname(v[term, 1]), df = unname(v[term, 2]), scaled = unname(v[term, 3]))
  })
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(15), pretty = TRUE),
           "tests/golden/hypotheses_r/gvif.json")
