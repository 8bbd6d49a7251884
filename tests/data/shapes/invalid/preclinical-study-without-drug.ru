# A preclinical study that tests no drug.
# expect: Violation ekgsh:PreclinicalStudyShape kg:preclinical-tumour-models-activity
DELETE WHERE { kg:preclinical-tumour-models-activity ekg:studiesDrug ?old }
