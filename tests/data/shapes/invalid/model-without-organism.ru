# An experimental model grown in no organism.
# expect: Violation ekgsh:ExperimentalModelShape kg:model-er-positive-brain-orthotopic-mouse
DELETE WHERE { kg:model-er-positive-brain-orthotopic-mouse ekg:modelOrganism ?old }
