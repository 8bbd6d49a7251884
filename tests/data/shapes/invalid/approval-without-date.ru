# A regulatory approval without its date.
# expect: Violation ekgsh:RegulatoryApprovalShape kg:test-approval
INSERT DATA { kg:test-approval a ekg:RegulatoryApproval ; rdfs:label "test approval"@en ;
    ekg:approvesDrug kg:drug-imlunestrant ; ekg:approvedBy kg:org-eli-lilly ; ekg:basedOnTrial kg:ember3 ; ekg:approvedIndication kg:condition-er-positive-her2-negative-advanced-breast-cancer ;
    prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results . }
