"""The evidence across trials: gathered from queries, pooled, plotted, shown on the site and exported as FHIR."""
