# A p-value of 1.2.
# expect: Violation ekgsh:PValueShape kg:ember3-result-pfs-hr-all-p
DELETE WHERE { kg:ember3-result-pfs-hr-all-p ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-hr-all-p ekg:value 1.2 }
