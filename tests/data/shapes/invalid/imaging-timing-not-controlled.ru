# An imaging timing that is a trial milestone.
# expect: Violation ekgsh:ImagingRequirementShape kg:ember3-imaging-baseline-all
DELETE WHERE { kg:ember3-imaging-baseline-all ekg:imagingTiming ?old } ;
INSERT DATA { kg:ember3-imaging-baseline-all ekg:imagingTiming ekg:FirstDose }
