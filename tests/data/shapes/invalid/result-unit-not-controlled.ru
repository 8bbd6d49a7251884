# A median in milligrams, a unit outside the list.
# expect: Violation ekgsh:StatisticalResultShape kg:ember3-result-pfs-median-all-standard
# expect: Violation ekgsh:MedianShape kg:ember3-result-pfs-median-all-standard
DELETE WHERE { kg:ember3-result-pfs-median-all-standard ekg:unit ?old } ;
INSERT DATA { kg:ember3-result-pfs-median-all-standard ekg:unit unit:MilliGM }
