# A trial without arms or randomized population that is known from a journal article too, not from registry records only.
# expect: Violation ekgsh:TrialArmsShape kg:test-registry-trial
INSERT DATA {
    kg:test-registry-trial a ekg:ClinicalTrial ;
        rdfs:label "test trial from a registry record and an article"@en ;
        prov:wasDerivedFrom kg:ct-gov-record-nct05654623 , kg:veritac2-nejm-abstract ;
        ekg:statedIn kg:loc-ct-gov-nct05654623-identification .
}
