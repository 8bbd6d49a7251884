# Reference values for tests/test_pooling.py, computed with R metafor from inputs.csv.
# Run from the repository root:  Rscript tests/data/pooling/metafor-reference.R tests/data/pooling/inputs.csv OUT.csv
# One row per set and model: the pooled hazard ratio with its 95% CI, the 95% prediction interval (predict()),
# tau2, I2, Q, the test statistic and p-value, and the metafor version. Each input's SE comes from its
# printed interval at its stated level, as ember3kg does: (log(upper) - log(lower)) / (2 * qnorm((1 + level) / 2)).
suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
inputs <- read.csv(args[1], stringsAsFactors = FALSE)
inputs$yi <- log(inputs$hr)
inputs$sei <- (log(inputs$upper) - log(inputs$lower)) / (2 * qnorm((1 + inputs$level) / 2))
models <- list(
  fixed = list(method = "FE", test = "z"),
  dl = list(method = "DL", test = "z"),
  reml = list(method = "REML", test = "z"),
  "dl-hksj" = list(method = "DL", test = "knha"),
  "reml-hksj" = list(method = "REML", test = "knha")
)
number <- function(x) if (is.null(x) || is.na(x)) "" else formatC(x, digits = 12, format = "g")
rows <- list()
for (set in unique(inputs$set)) {
  data <- inputs[inputs$set == set, ]
  for (key in names(models)) {
    fit <- rma(yi = yi, sei = sei, data = data, method = models[[key]]$method, test = models[[key]]$test)
    pred <- predict(fit)
    rows[[length(rows) + 1]] <- data.frame(
      set = set, model = key,
      estimate = number(exp(fit$b[1])), ci_lower = number(exp(fit$ci.lb)), ci_upper = number(exp(fit$ci.ub)),
      pi_lower = if (key == "fixed") "" else number(exp(pred$pi.lb)),
      pi_upper = if (key == "fixed") "" else number(exp(pred$pi.ub)),
      tau2 = number(fit$tau2), i2 = number(fit$I2), q = number(fit$QE), q_p = number(fit$QEp),
      statistic = number(fit$zval), p = number(fit$pval),
      metafor = as.character(packageVersion("metafor"))
    )
  }
}
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
