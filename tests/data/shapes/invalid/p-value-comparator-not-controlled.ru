# A p-value comparator outside the list.
# expect: Violation ekgsh:PValueShape kg:ember3-result-pfs-hr-concurrent-p
DELETE WHERE { kg:ember3-result-pfs-hr-concurrent-p ekg:comparator ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-concurrent-p ekg:comparator "~" }
