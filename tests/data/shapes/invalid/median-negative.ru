# A median time of minus one month.
# expect: Violation ekgsh:MedianShape kg:ember3-result-pfs-median-all-standard
DELETE WHERE { kg:ember3-result-pfs-median-all-standard ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-all-standard ekg:value "-1.0"^^xsd:decimal }
