# pROC's AUROC and DeLong standard error on the Taiwan PD example (current and development
# samples), for kd validate. Run from the repository root after gen.py:
#     Rscript tests/golden/irb_pd/gen.R
# Writes proc.json. Made with R 4.2.2 and pROC 1.18.0 (Debian's r-cran-proc).
suppressMessages(library(pROC))
stopifnot(getRversion() == "4.2.2", packageVersion("pROC") == "1.18.0")
dir <- "tests/golden/irb_pd"
one <- function(file) {
  d <- read.csv(gzfile(file.path(dir, file)))
  r <- roc(d$default, d$pd, levels = c(0, 1), direction = "<", quiet = TRUE)
  sprintf('{"auroc": %.17g, "std_error": %.17g}', as.numeric(auc(r)), sqrt(var(r, method = "delong")))
}
json <- sprintf('{"source": "R %s, pROC %s", "current": %s, "development": %s}\n',
                getRversion(), packageVersion("pROC"), one("taiwan_current.csv.gz"), one("taiwan_development.csv.gz"))
writeLines(json, file.path(dir, "proc.json"), sep = "")
cat(json)
