# A cumulative incidence of 101 percent.
# expect: Violation ekgsh:CumulativeIncidenceShape kg:ember3-result-cns-cir12-esr1m-standard
DELETE WHERE { kg:ember3-result-cns-cir12-esr1m-standard ekg:value ?old } ;
INSERT DATA { kg:ember3-result-cns-cir12-esr1m-standard ekg:value 101.0 }
