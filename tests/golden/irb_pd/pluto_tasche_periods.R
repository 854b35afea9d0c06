# Reference multi-period Pluto-Tasche bounds (Pluto & Tasche 2005, the one-factor model with a
# factor that persists from one period to the next, read over yearly cohorts as kd reads a
# panel), computed independently of kd: over two periods by R's nested integrate() and
# uniroot(), over three independent periods (tau = 0) by convolving each period's distribution
# of defaults from integrate(), over five by Monte Carlo.
#
# Run from the repository root (Debian bookworm: apt-get install r-base-core r-cran-jsonlite;
# the versions are asserted below and written into the file; numbers are written with 15
# significant digits; about five minutes):
#     Rscript tests/golden/irb_pd/pluto_tasche_periods.R
#
# Periods t = 1..T; grade k's pool holds N[t] obligors in period t and D defaults over all
# periods. The factor path is a stationary Gaussian AR(1), S_t = tau S_{t-1} + sqrt(1 - tau^2) e_t;
# given it, defaults are independent with PD G(p, S_t) = pnorm((qnorm(p) - sqrt(rho) S_t) /
# sqrt(1 - rho)). The bound at confidence gamma is the p at which
#     P(sum_t Bin(N[t], G(p, S_t)) <= D) = 1 - gamma.
# kd runs a forward recursion on a grid of the factor; here two periods are a double integral
# (the first period's defaults summed out against the second's distribution function), and five
# periods are 400,000 simulated paths, the root found on the same paths (so the estimate is
# smooth in p) and its standard error carried to the bound through the slope.
# Writes tests/golden/irb_pd/pluto_tasche_periods.json.
suppressPackageStartupMessages(library(jsonlite))
stopifnot(R.version$major == "4", R.version$minor == "2.2")
stopifnot(as.character(packageVersion("jsonlite")) == "1.8.4")

G <- function(p, rho, s) pnorm((qnorm(p) - sqrt(rho) * s) / sqrt(1 - rho))

# P(Bin(N1, G(S1)) + Bin(N2, G(S2)) <= D), (S1, S2) standard normal with correlation tau.
at_most_two <- function(N, D, p, rho, tau) {
  sigma <- sqrt(1 - tau^2)
  first <- function(s1) vapply(s1, function(a) {
    js <- 0:min(D, N[1])
    w <- dbinom(js, N[1], G(p, rho, a))
    second <- function(s2) {
      dnorm(s2, tau * a, sigma) * vapply(G(p, rho, s2), function(q) sum(w * pbinom(D - js, N[2], q)), numeric(1))
    }
    cuts <- tau * a + sigma * seq(-10, 10, length.out = 21)
    dnorm(a) * sum(vapply(1:20, function(i) {
      integrate(second, cuts[i], cuts[i + 1], rel.tol = 1e-11, abs.tol = 1e-16, subdivisions = 1000L)$value
    }, numeric(1)))
  }, numeric(1))
  cuts <- seq(-10, 10, length.out = 41)
  sum(vapply(1:40, function(i) {
    integrate(first, cuts[i], cuts[i + 1], rel.tol = 1e-10, abs.tol = 1e-16, subdivisions = 1000L)$value
  }, numeric(1)))
}

bound_two <- function(N, D, gamma, rho, tau) {
  root <- uniroot(function(lp) at_most_two(N, D, exp(lp), rho, tau) - (1 - gamma),
                  c(log(1e-9), log(0.5)), tol = 1e-11)
  exp(root$root)
}

# Most prudent pools: grade k and all worse ones, period by period.
pools <- function(n, d) {
  k <- ncol(n)
  lapply(seq_len(k), function(i) list(N = rowSums(n[, i:k, drop = FALSE]), D = sum(d[, i:k])))
}

two_periods <- function(n, d, gamma, rho, tau) {
  bounds <- vapply(pools(n, d), function(pool) bound_two(pool$N, pool$D, gamma, rho, tau), numeric(1))
  list(n = n, d = d, gamma = gamma, rho = rho, tau = tau, bounds = bounds)
}

# Monte Carlo over T periods: the paths' factors, then each path's probability of at most D
# defaults by convolving the periods' binomial probabilities, cut at D.
simulate_paths <- function(paths, periods, tau) {
  s <- matrix(0, paths, periods)
  s[, 1] <- rnorm(paths)
  for (t in seq_len(periods)[-1]) s[, t] <- tau * s[, t - 1] + sqrt(1 - tau^2) * rnorm(paths)
  s
}

conditional_at_most <- function(N, D, p, rho, s) {
  dist <- matrix(0, nrow(s), D + 1)
  dist[, 1] <- 1
  for (t in seq_along(N)) {
    q <- G(p, rho, s[, t])
    pmf <- sapply(0:D, function(j) dbinom(j, N[t], q))
    if (is.null(dim(pmf))) pmf <- matrix(pmf, nrow = nrow(s))
    next_dist <- matrix(0, nrow(s), D + 1)
    for (j in 0:D) for (l in 0:j) next_dist[, j + 1] <- next_dist[, j + 1] + dist[, j - l + 1] * pmf[, l + 1]
    dist <- next_dist
  }
  rowSums(dist)
}

monte_carlo <- function(n, d, gamma, rho, tau, paths) {
  s <- simulate_paths(paths, nrow(n), tau)
  rows <- lapply(pools(n, d), function(pool) {
    f <- function(p) mean(conditional_at_most(pool$N, pool$D, p, rho, s))
    p <- exp(uniroot(function(lp) f(exp(lp)) - (1 - gamma), c(log(1e-9), log(0.5)), tol = 1e-12)$root)
    se <- sd(conditional_at_most(pool$N, pool$D, p, rho, s)) / sqrt(paths)
    slope <- (f(p * (1 + 1e-3)) - f(p * (1 - 1e-3))) / (2e-3 * p)
    c(bound = p, se = se / abs(slope))
  })
  list(n = n, d = d, gamma = gamma, rho = rho, tau = tau, paths = paths,
       bounds = vapply(rows, function(r) r[["bound"]], numeric(1)),
       standard_errors = vapply(rows, function(r) r[["se"]], numeric(1)))
}

# At tau = 0 the periods are independent: the distribution of the pooled defaults is the
# convolution of each period's, P(D_t = j) = integral phi(s) dbinom(j, N[t], G(p, s)) ds.
at_most_independent <- function(N, D, p, rho) {
  period <- function(n) vapply(0:D, function(j) {
    integrate(function(s) dnorm(s) * dbinom(j, n, G(p, rho, s)), -10, 10,
              rel.tol = 1e-12, abs.tol = 1e-16, subdivisions = 1000L)$value
  }, numeric(1))
  total <- Reduce(function(a, b) convolve(a, rev(b), type = "open"), lapply(N, period))
  sum(total[seq_len(D + 1)])
}

independent_periods <- function(n, d, gamma, rho) {
  bounds <- vapply(pools(n, d), function(pool) {
    exp(uniroot(function(lp) at_most_independent(pool$N, pool$D, exp(lp), rho) - (1 - gamma),
                c(log(1e-9), log(0.5)), tol = 1e-12)$root)
  }, numeric(1))
  list(n = n, d = d, gamma = gamma, rho = rho, tau = 0, bounds = bounds)
}

# At tau = 0 two periods are independent: with no defaults the probability is the product of
# the periods' one-period integrals.
one <- function(N, p, rho) integrate(function(s) dnorm(s) * (1 - G(p, rho, s))^N, -10, 10, rel.tol = 1e-12)$value
stopifnot(abs(at_most_two(c(300, 500), 0, 0.002, 0.12, 0) / (one(300, 0.002, 0.12) * one(500, 0.002, 0.12)) - 1) < 1e-8)

set.seed(20261206)
# The paper's example portfolio (grades A, B, C with 100, 400 and 300 obligors), a second
# period of slightly different counts, a few defaults.
n2 <- rbind(c(100, 400, 300), c(110, 380, 320))
d2 <- rbind(c(0, 1, 0), c(0, 0, 2))
n5 <- matrix(c(100, 400, 300), 5, 3, byrow = TRUE)
out <- list(
  source = sprintf("R %s.%s, stats::integrate, stats::uniroot; Monte Carlo with set.seed(20261206)",
                   R.version$major, R.version$minor),
  two_periods = two_periods(n2, d2, 0.9, 0.12, 0.3),
  two_periods_persistent = two_periods(n2, d2, 0.99, 0.2, 0.9),
  three_periods_independent = independent_periods(rbind(n2, c(120, 360, 330)), rbind(d2, c(0, 1, 1)), 0.95, 0.15),
  # Five years of the paper's portfolio without defaults, and with two defaults in grade C.
  five_years = monte_carlo(n5, matrix(0, 5, 3), 0.9, 0.12, 0.3, 400000),
  five_years_defaults = monte_carlo(n5, rbind(c(0, 0, 1), c(0, 0, 0), c(0, 0, 0), c(0, 0, 1), c(0, 0, 0)),
                                    0.99, 0.12, 0.5, 400000)
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(15), pretty = TRUE),
           "tests/golden/irb_pd/pluto_tasche_periods.json")
for (case in out[-1]) print(case$bounds)
print(out$five_years$standard_errors)
print(out$five_years_defaults$standard_errors)
