# Passing neighbour of invalid/approval-without-date.ru: the same data, edited so that no rule fires.
INSERT DATA { kg:test-approval a ekg:RegulatoryApproval ; rdfs:label "test approval"@en ;
    ekg:approvesDrug kg:drug-imlunestrant ; ekg:approvedBy kg:org-eli-lilly ; ekg:basedOnTrial kg:ember3 ; ekg:approvedIndication kg:condition-er-positive-her2-negative-advanced-breast-cancer ;
    ekg:approvalDate "2025-09-25"^^xsd:date ;
    prov:wasDerivedFrom kg:pubmed-record-ember3 ; ekg:statedIn kg:loc-pubmed-results . }
