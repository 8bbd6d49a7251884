# 700 pooled events in two arms of 661 patients together.
# expect: Violation ekgsh:EventsNotMoreThanAtRiskShape kg:ember3-result-cns-events-all-total
DELETE WHERE { kg:ember3-result-cns-events-all-total ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-total ekg:value 700 }
