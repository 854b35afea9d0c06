# Reference values of the multinomial Hosmer-Lemeshow test (Fagerland, Hosmer & Bofin 2008,
# Statistics in Medicine 27, 4238-4253), as R's generalhoslem::logitgof defines it, written
# here in base R (generalhoslem is not packaged by Debian): rows grouped by the type-7
# quantiles of 1 - p[, 1] (repeated breaks merged, cut(..., include.lowest = TRUE)),
# C = sum over groups and classes of (observed - expected)^2 / expected, expected the sum of
# the group's probabilities of the class; df (G - 2)(k - 1) on the fitting sample (the
# paper's) and G (k - 1) on a validation sample. Also kd's T: per group the deviations of
# classes 2..k in the inverse of their exact covariance under the model,
# sum_i (diag(p_i) - p_i p_i'), summed over groups, on G (k - 1) df (kd leaves out the class a
# group expects most instead of the first; T does not depend on which).
#
# Run from the repository root (Debian bookworm: apt-get install r-base-core r-cran-jsonlite;
# the versions are asserted below):
#     Rscript tests/golden/validation/multinomial_hl.R
# Writes tests/golden/validation/multinomial_hl.json: each case's classes (0-based), its
# probabilities (rounded to 15 significant digits, jsonlite's most, before the figures are
# computed from them) and the figures.
suppressPackageStartupMessages(library(jsonlite))
stopifnot(R.version$major == "4", R.version$minor == "2.2")
stopifnot(as.character(packageVersion("jsonlite")) == "1.8.4")

multinomial_hl <- function(y, p, g = 10) {
  not_first <- 1 - p[, 1]
  breaks <- unique(quantile(not_first, probs = seq(0, 1, 1 / g)))
  group <- cut(not_first, breaks = breaks, include.lowest = TRUE)
  k <- ncol(p)
  observed <- table(group, factor(y, levels = 0:(k - 1)))
  expected <- apply(p, 2, function(column) tapply(column, group, sum))
  keep <- rowSums(observed) > 0
  observed <- observed[keep, , drop = FALSE]
  expected <- expected[keep, , drop = FALSE]
  chisq <- sum((observed - expected)^2 / expected)
  covariance <- sum(vapply(levels(group)[keep], function(level) {
    rows <- p[group == level, -1, drop = FALSE]
    v <- diag(colSums(rows), ncol(rows)) - crossprod(rows)
    d <- observed[level, -1] - expected[level, -1]
    drop(t(d) %*% solve(v, d))
  }, numeric(1)))
  groups <- nrow(observed)
  df_validation <- groups * (k - 1)
  df_development <- (groups - 2) * (k - 1)
  list(statistic = chisq, groups = groups,
       df_validation = df_validation,
       p_validation = pchisq(chisq, df_validation, lower.tail = FALSE),
       df_development = df_development,
       p_development = pchisq(chisq, df_development, lower.tail = FALSE),
       covariance_statistic = covariance,
       covariance_p_value = pchisq(covariance, df_validation, lower.tail = FALSE))
}

softmax <- function(eta) {
  e <- exp(eta - apply(eta, 1, max))
  e / rowSums(e)
}

draw <- function(p) apply(p, 1, function(row) sample.int(length(row), 1, prob = row) - 1)

case <- function(name, y, p, g = 10) {
  p <- signif(p, 15)
  c(list(name = name, groups_asked = g, classes = y, probabilities = unname(split(p, row(p)))),
    multinomial_hl(y, p, g))
}

set.seed(20081)
n <- 600
x <- matrix(rnorm(n * 2), n, 2)
p3 <- softmax(cbind(0, 0.4 + 1.2 * x[, 1], -0.3 + 0.8 * x[, 2] - 0.6 * x[, 1]))
calibrated <- draw(p3)
# Outcomes from a sharper model than the one scored: the probabilities are too timid.
sharper <- draw(softmax(cbind(0, 0.4 + 2.4 * x[, 1], -0.3 + 1.6 * x[, 2] - 1.2 * x[, 1])))

m <- 400
x4 <- rnorm(m)
p4 <- softmax(cbind(0, 0.5 * x4, 1 - 0.5 * x4, -0.5 + x4^2 / 2))
four <- draw(p4)

# Five distinct rows of probabilities, repeated: the quantile breaks repeat and merge.
patterns <- rbind(c(0.7, 0.2, 0.1), c(0.5, 0.3, 0.2), c(0.4, 0.4, 0.2), c(0.2, 0.5, 0.3), c(0.1, 0.3, 0.6))
tied_p <- patterns[rep(1:5, times = c(60, 50, 40, 30, 20)), ]
tied <- draw(tied_p)

cases <- list(
  case("three classes, calibrated", calibrated, p3),
  case("three classes, probabilities too timid", sharper, p3),
  case("three classes, 6 groups", calibrated, p3, g = 6),
  case("four classes", four, p4),
  case("tied probabilities", tied, tied_p)
)
out <- list(generator = "tests/golden/validation/multinomial_hl.R",
            r = paste(R.version$major, R.version$minor, sep = "."),
            cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(15), pretty = FALSE),
           "tests/golden/validation/multinomial_hl.json")
