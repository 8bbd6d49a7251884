# A negative event count.
# expect: Violation ekgsh:EventCountShape kg:ember3-result-cns-events-all-new-lesion-standard
DELETE WHERE { kg:ember3-result-cns-events-all-new-lesion-standard ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-events-all-new-lesion-standard ekg:value -1 }
