# pROC's AUROC, DeLong standard error and paired DeLong test on the German PD example, for
# kd_hypotheses::validation. Run from the repository root after gen.py:
#     Rscript tests/golden/validation/gen.R
# Writes proc.json. Made with R 4.2.2 and pROC 1.18.0 (Debian's r-cran-proc).
suppressMessages(library(pROC))
stopifnot(getRversion() == "4.2.2", packageVersion("pROC") == "1.18.0")
dir <- "tests/golden/validation"
d <- read.csv(file.path(dir, "german_pd_current.csv"))
r <- roc(d$default, d$pd, levels = c(0, 1), direction = "<", quiet = TRUE)
rc <- roc(d$default, d$challenger, levels = c(0, 1), direction = "<", quiet = TRUE)
t <- roc.test(r, rc, method = "delong", paired = TRUE)
json <- sprintf(paste0('{"source": "R %s, pROC %s", "auroc": %.17g, "std_error": %.17g, ',
                       '"challenger_auroc": %.17g, "delong_statistic": %.17g, "delong_p_value": %.17g}\n'),
                getRversion(), packageVersion("pROC"), as.numeric(auc(r)), sqrt(var(r, method = "delong")),
                as.numeric(auc(rc)), as.numeric(t$statistic), t$p.value)
writeLines(json, file.path(dir, "proc.json"), sep = "")
cat(json)
