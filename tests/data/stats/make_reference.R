# Writes the reference data and R's values for tests/test_stats_reference.py.
# Run from this folder: Rscript make_reference.R   (R's survey package; data sets are GPL, shipped with survey)
suppressMessages(library(survey))
options(digits = 15)
data(api)
data(yrbs)
write.csv(apistrat[, c("stype", "pw", "fpc", "api00")], "apistrat.csv", row.names = FALSE)
write.csv(apiclus1[, c("dnum", "stype", "sch.wide", "pw", "fpc", "api00")], "apiclus1.csv", row.names = FALSE)
gz <- gzfile("yrbs.csv.gz", "w"); write.csv(yrbs, gz, row.names = FALSE, na = ""); close(gz)

out <- data.frame(case = character(), statistic = character(), value = numeric(), r_code = character())
add <- function(case, statistic, value, r_code) {
  out[nrow(out) + 1, ] <<- list(case, statistic, as.numeric(value), r_code)
}

dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
m <- svymean(~api00, dstrat)
code <- "svymean(~api00, svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc))"
add("apistrat", "mean", coef(m), code); add("apistrat", "se", SE(m), code)

dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
rclus1 <- rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide))
m <- svymean(~api00, rclus1)
code <- "svymean(~api00, rake(svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc), list(~stype, ~sch.wide), list(pop.types, pop.schwide)))"
add("apiclus1_raked", "mean", coef(m), code); add("apiclus1_raked", "se", SE(m), code)
m <- svymean(~api00, dclus1)
code <- "svymean(~api00, svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc))"
add("apiclus1", "mean", coef(m), code); add("apiclus1", "se", SE(m), code)

yrbs$qn8no <- as.numeric(yrbs$qn8 == 2)
for (case in c("yrbs_weighted", "yrbs_design")) {
  des <- if (case == "yrbs_weighted") svydesign(id = ~1, weights = ~weight, data = yrbs) else
    svydesign(id = ~psu, strata = ~stratum, weights = ~weight, data = yrbs)
  s <- subset(des, !is.na(qn8no))
  ci <- svyciprop(~qn8no, s, method = "logit")
  code <- paste0("svyciprop(~qn8no, subset(", if (case == "yrbs_weighted") "svydesign(id=~1, weights=~weight, data=yrbs)"
                 else "svydesign(id=~psu, strata=~stratum, weights=~weight, data=yrbs)", ", !is.na(qn8no)), method='logit')")
  add(case, "share", coef(ci), code); add(case, "se", SE(ci), code)
  add(case, "ci_low", attr(ci, "ci")[1], code); add(case, "ci_high", attr(ci, "ci")[2], code)
}
write.csv(out, "reference_values.csv", row.names = FALSE)
