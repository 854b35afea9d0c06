# R's quantile(type = 1:9) on the samples gen.py wrote, for kd_core::quantile.
# Run from the repository root after gen.py:  Rscript crates/kd-core/tests/golden/quantile/gen.R
# Writes r_quantiles.csv (sample, p, type, value). Made with R 4.2.2.
stopifnot(getRversion() == "4.2.2")
dir <- "crates/kd-core/tests/golden/quantile"
samples <- read.csv(file.path(dir, "samples.csv"), colClasses = c("character", "numeric"))
probs <- c(0, 0.01, 0.025, 0.1, 0.2, 0.25, 0.3, 0.5, 0.6, 0.75, 0.9, 0.975, 0.99, 1)
rows <- list()
for (name in unique(samples$sample)) {
  x <- samples$value[samples$sample == name]
  for (type in 1:9) {
    q <- quantile(x, probs, type = type, names = FALSE)
    rows[[length(rows) + 1]] <- data.frame(sample = name, p = probs, type = type, value = q)
  }
}
out <- do.call(rbind, rows)
write.csv(format(out, digits = 17), file.path(dir, "r_quantiles.csv"), row.names = FALSE, quote = FALSE)
cat(nrow(out), "R quantiles\n")
