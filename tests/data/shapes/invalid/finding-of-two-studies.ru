# A finding from two studies.
# expect: Violation ekgsh:PreclinicalFindingShape kg:finding-sustained-brain-exposure
INSERT DATA {
    kg:finding-sustained-brain-exposure ekg:findingOf kg:preclinical-brain-orthotopic-survival .
}
