# Reference Pluto-Tasche bounds with correlated defaults (Pluto & Tasche 2005, section 3: the
# one-factor model), computed with R's own integrate() and uniroot(), independently of kd.
#
# Run from the repository root (Debian bookworm: apt-get install r-base-core r-cran-jsonlite;
# the versions are asserted below and written into the file; numbers are written with 15
# significant digits):
#     Rscript tests/golden/irb_pd/pluto_tasche.R
#
# For N obligors (a grade and all worse ones) with D defaults, the bound at confidence gamma is
# the PD p at which
#     integral phi(s) pbinom(D, N, G(p, s)) ds = 1 - gamma,
#     G(p, s) = pnorm((qnorm(p) - sqrt(rho) s) / sqrt(1 - rho)).
# kd splits the factor's range where G crosses the default rate and bisects on qnorm(p); here
# the range [-10, 10] is cut into 80 equal pieces, each integrated by integrate() to a relative
# 1e-12, and uniroot() solves on log(p). Writes tests/golden/irb_pd/pluto_tasche.json.
suppressPackageStartupMessages(library(jsonlite))
stopifnot(R.version$major == "4", R.version$minor == "2.2")
stopifnot(as.character(packageVersion("jsonlite")) == "1.8.4")

at_most <- function(defaults, obligors, p, rho) {
  conditional <- function(s) pnorm((qnorm(p) - sqrt(rho) * s) / sqrt(1 - rho))
  f <- function(s) dnorm(s) * pbinom(defaults, obligors, conditional(s))
  cuts <- seq(-10, 10, length.out = 81)
  sum(vapply(seq_len(80), function(i) {
    integrate(f, cuts[i], cuts[i + 1], rel.tol = 1e-12, abs.tol = 1e-15, subdivisions = 1000L)$value
  }, numeric(1)))
}

bound <- function(defaults, obligors, gamma, rho) {
  if (defaults == obligors) return(1)
  if (rho == 0) return(qbeta(gamma, defaults + 1, obligors - defaults))
  root <- uniroot(function(lp) at_most(defaults, obligors, exp(lp), rho) - (1 - gamma),
                  c(log(1e-12), log(1 - 1e-12)), tol = 1e-13)
  exp(root$root)
}

# The most prudent principle: each grade's bound pools it with every worse grade.
bounds <- function(n, d, gamma, rho) {
  k <- length(n)
  vapply(seq_len(k), function(i) bound(sum(d[i:k]), sum(n[i:k]), gamma, rho), numeric(1))
}

# At rho = 0 the integral is the binomial distribution function itself: the root must be the
# Clopper-Pearson bound qbeta gives.
stopifnot(abs(exp(uniroot(function(lp) pbinom(2, 700, exp(lp)) - 0.1, c(log(1e-12), 0),
                          tol = 1e-14)$root) - qbeta(0.9, 3, 698)) < 1e-10)

expected <- fromJSON("tests/golden/irb_pd/expected.json", simplifyVector = FALSE)
taiwan <- expected$taiwan$grades
paper <- list(n = c(100, 400, 300))
out <- list(
  source = sprintf("R %s.%s, stats::integrate and stats::uniroot", R.version$major, R.version$minor),
  # The paper's example portfolio: grades A, B, C with 100, 400 and 300 obligors.
  no_defaults = lapply(setNames(nm = c("0.5", "0.75", "0.9", "0.95", "0.99", "0.999")), function(g) {
    list(n = paper$n, d = c(0, 0, 0), gamma = as.numeric(g), rho = 0.12,
         bounds = bounds(paper$n, c(0, 0, 0), as.numeric(g), 0.12))
  }),
  few_defaults = list(n = paper$n, d = c(0, 2, 1), gamma = 0.9, rho = 0.12,
                      bounds = bounds(paper$n, c(0, 2, 1), 0.9, 0.12)),
  # Taiwan's seven grades (tests/golden/irb_pd/expected.json): hundreds of defaults each.
  taiwan = list(n = vapply(taiwan, function(g) g$n, numeric(1)),
                d = vapply(taiwan, function(g) g$defaults, numeric(1)), gamma = 0.9, rho = 0.12),
  # One large grade with few defaults under a high correlation.
  large = list(n = I(20000), d = I(3), gamma = 0.99, rho = 0.3, bounds = I(bounds(20000, 3, 0.99, 0.3))),
  # A correlation near 1 (the conditional PD nearly a step) at a high confidence.
  near_one = list(n = I(100), d = I(5), gamma = 0.9999, rho = 0.99, bounds = I(bounds(100, 5, 0.9999, 0.99)))
)
out$taiwan$bounds <- bounds(out$taiwan$n, out$taiwan$d, 0.9, 0.12)
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(15), pretty = TRUE),
           "tests/golden/irb_pd/pluto_tasche.json")
print(out$no_defaults[["0.9"]]$bounds)
print(out$few_defaults$bounds)
print(out$taiwan$bounds)
print(out$large$bounds)
print(out$near_one$bounds)
