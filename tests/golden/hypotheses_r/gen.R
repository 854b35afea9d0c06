# Reference values from R for the regression battery's options that statsmodels lacks or
# computes differently (R's lmtest, nortest, sandwich and base R).
#
# Run from the repository root (Debian bookworm: apt-get install r-base-core r-cran-lmtest
# r-cran-nortest r-cran-sandwich r-cran-jsonlite; the versions are asserted below and written
# into every file; numbers are written with 15 significant digits):
#     Rscript tests/golden/hypotheses_r/gen.R
#
# For every case of tests/golden/hypotheses (read from its <case>.json: data file, target,
# features) it fits lm(target ~ features) on the first `rows` rows (all rows unless a case
# below says otherwise) and writes tests/golden/hypotheses_r/<case>.json with:
#   durbin_watson   dwtest(alternative = greater / less / two.sided, exact = TRUE / FALSE), and
#                   Pan's algorithm run to convergence (see below)
#   box_pierce, ljung_box   Box.test(resid, lag = L, type, fitdf = 0 and 2), L = min(10, n %/% 5)
#   breusch_godfrey bgtest(order = L, type = "Chisq" and "F")
#   goldfeld_quandt gqtest(point = 0.5, fraction = 0 and 0.2, alternative = all three)
#   rainbow         raintest(fraction = 0.5, centre 0.5) and (fraction = 0.3, center = 0.4)
#   reset           resettest(power = 2:3 and 2:4, type = "fitted"; power = 2:3 and 2, "regressor")
#   arch            Engle's LM as FinTS::ArchTest(resid, lags = L, demean = FALSE) computes it
#                   (FinTS is not packaged for Debian; its five lines are repeated below)
#   lilliefors      nortest::lillie.test(resid) (Dallal-Wilkinson p below 0.1)
#   influence       influence.measures(fit): infmat (dfbetas, dffit, cov.r, cook.d, hat),
#                   is.inf, and rstudent(fit)
#   robust          sqrt(diag(vcovHC(fit, type = "HC0" ... "HC3"))) and NeweyWest(fit, lag = H,
#                   prewhite = FALSE, adjust = FALSE), H = floor(4 (n/100)^(2/9))
suppressPackageStartupMessages({
  library(jsonlite)
  library(lmtest)
  library(nortest)
  library(sandwich)
})

versions <- c(
  R = paste(R.version$major, R.version$minor, sep = "."),
  lmtest = as.character(packageVersion("lmtest")),
  nortest = as.character(packageVersion("nortest")),
  sandwich = as.character(packageVersion("sandwich")),
  jsonlite = as.character(packageVersion("jsonlite"))
)
stopifnot(versions[["R"]] == "4.2.2", versions[["lmtest"]] == "0.9.40",
          versions[["nortest"]] == "1.0.4", versions[["sandwich"]] == "3.0.2")
source_text <- paste(names(versions), versions, collapse = ", ")

golden <- "tests/golden/hypotheses"
out <- "tests/golden/hypotheses_r"
cases <- list(
  list(name = "longley"), list(name = "engel"), list(name = "stackloss"),
  list(name = "macrodata"), list(name = "diabetes"), list(name = "null"),
  list(name = "autocorrelated"), list(name = "heteroscedastic"), list(name = "nonnormal"),
  list(name = "nonlinear"), list(name = "break"), list(name = "binary_feature"),
  # Under 100 rows, where dwtest's default p-value is exact (Pan).
  list(name = "autocorrelated_60", from = "autocorrelated", rows = 60),
  list(name = "heteroscedastic_60", from = "heteroscedastic", rows = 60),
  list(name = "nonnormal_60", from = "nonnormal", rows = 60),
  list(name = "null_40", from = "null", rows = 40)
)

# NULL where R refuses (too few rows for the options), which kd must refuse too.
safely <- function(expr) tryCatch(expr, error = function(err) NULL)

htest <- function(t) {
  if (is.null(t)) return(NULL)
  list(statistic = unname(t$statistic), p_value = unname(t$p.value),
       df = if (is.null(t$parameter)) NULL else unname(t$parameter))
}

arch_test <- function(e, lags) {
  # FinTS::ArchTest(x, lags, demean = FALSE), version 0.4-9:
  mat <- embed(e^2, lags + 1)
  fit <- summary(lm(mat[, 1] ~ mat[, -1]))
  stat <- fit$r.squared * length(resid(fit))
  list(statistic = stat, p_value = pchisq(stat, df = lags, lower.tail = FALSE), df = lags)
}

for (case in cases) {
  meta <- fromJSON(file.path(golden, paste0(if (is.null(case$from)) case$name else case$from, ".json")))
  data <- read.csv(meta$data, check.names = FALSE)
  if (!is.null(case$rows)) data <- data[seq_len(case$rows), ]
  y <- data[[meta$target]]
  x <- as.matrix(data[, meta$features, drop = FALSE])
  fit <- lm(y ~ x)
  n <- length(y)
  k <- ncol(x) + 1
  e <- resid(fit)
  lags <- min(10, n %/% 5)
  hac <- floor(4 * (n / 100)^(2 / 9))

  # dwtest's exact p-value runs Pan's algorithm with 15 terms, which does not always converge
  # (and overflows for a few hundred rows); "converged" repeats it with 100 and 200 terms and
  # keeps the value only where those two agree to 1e-10 inside [0, 1].
  X <- model.matrix(fit)
  A <- diag(c(1, rep(2, n - 2), 1))
  A[abs(row(A) - col(A)) == 1] <- -1
  ev <- Re(eigen((diag(n) - X %*% chol2inv(qr.R(qr(X))) %*% t(X)) %*% A)$values[1:(n - k)])
  ev <- ev[ev > 1e-10]
  d <- unname(dwtest(fit)$statistic)
  pan <- function(terms) .Fortran("pan", as.double(c(d, ev)), as.integer(length(ev)), as.double(0),
                                  as.integer(terms), x = double(1), PACKAGE = "lmtest")$x
  p100 <- pan(100)
  converged <- if (abs(p100 - pan(200)) < 1e-10 && p100 >= 0 && p100 <= 1) p100 else NULL
  dw <- list()
  for (alt in c("greater", "less", "two.sided")) {
    conv <- if (is.null(converged)) NULL else switch(alt, greater = converged, less = 1 - converged,
                                                     two.sided = 2 * min(converged, 1 - converged))
    dw[[alt]] <- list(exact = htest(dwtest(fit, alternative = alt, exact = TRUE)),
                      converged = conv,
                      normal = htest(dwtest(fit, alternative = alt, exact = FALSE)))
  }
  gq <- list()
  for (fr in c(0, 0.2)) {
    for (alt in c("greater", "less", "two.sided")) {
      gq[[paste0("fraction_", fr, "_", alt)]] <- htest(safely(gqtest(fit, fraction = fr, alternative = alt)))
    }
  }
  infl <- influence.measures(fit)
  robust <- list()
  for (type in c("HC0", "HC1", "HC2", "HC3")) robust[[type]] <- unname(sqrt(diag(vcovHC(fit, type = type))))
  robust[["newey_west"]] <- unname(sqrt(diag(NeweyWest(fit, lag = hac, prewhite = FALSE, adjust = FALSE))))

  result <- list(
    source = source_text,
    case = case$name,
    data = meta$data,
    target = meta$target,
    features = I(meta$features),
    rows = n,
    lags = lags,
    hac_lags = hac,
    durbin_watson = dw,
    box_pierce = list(fitdf_0 = htest(Box.test(e, lag = lags, type = "Box-Pierce")),
                      fitdf_2 = if (lags > 2) htest(Box.test(e, lag = lags, type = "Box-Pierce", fitdf = 2)) else NULL),
    ljung_box = list(fitdf_0 = htest(Box.test(e, lag = lags, type = "Ljung-Box")),
                     fitdf_2 = if (lags > 2) htest(Box.test(e, lag = lags, type = "Ljung-Box", fitdf = 2)) else NULL),
    breusch_godfrey = list(chisq = htest(bgtest(fit, order = lags, type = "Chisq")),
                           f = htest(bgtest(fit, order = lags, type = "F"))),
    goldfeld_quandt = gq,
    rainbow = list(default = htest(raintest(fit)),
                   fraction_0.3_center_0.4 = htest(safely(raintest(fit, fraction = 0.3, center = 0.4)))),
    reset = list(fitted_2_3 = htest(resettest(fit, power = 2:3, type = "fitted")),
                 fitted_2_4 = htest(resettest(fit, power = 2:4, type = "fitted")),
                 regressor_2_3 = htest(resettest(fit, power = 2:3, type = "regressor")),
                 regressor_2 = htest(resettest(fit, power = 2, type = "regressor"))),
    arch = arch_test(e, lags),
    lilliefors = if (n >= 5) htest(lillie.test(e)) else NULL,
    influence = list(dfbetas = unname(infl$infmat[, seq_len(k)]),
                     dffit = unname(infl$infmat[, k + 1]),
                     cov_r = unname(infl$infmat[, k + 2]),
                     cook_d = unname(infl$infmat[, k + 3]),
                     hat = unname(infl$infmat[, k + 4]),
                     rstudent = unname(rstudent(fit)),
                     flagged_rows = unname(which(apply(infl$is.inf, 1, any)) - 1)),
    robust_se = robust
  )
  writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
             file.path(out, paste0(case$name, ".json")))
}
