# Passing neighbour of invalid/trial-of-several-sources-without-arms.ru: the trial is known from its registry record only.
INSERT DATA {
    kg:test-registry-trial a ekg:ClinicalTrial ;
        rdfs:label "test trial from a registry record and an article"@en ;
        prov:wasDerivedFrom kg:ct-gov-record-nct05654623 ;
        ekg:statedIn kg:loc-ct-gov-nct05654623-identification .
}
