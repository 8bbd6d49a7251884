# An event count written as a decimal.
# expect: Violation ekgsh:EventCountShape kg:ember3-result-cns-events-all-total
DELETE WHERE { kg:ember3-result-cns-events-all-total ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-total ekg:value 15.0 }
