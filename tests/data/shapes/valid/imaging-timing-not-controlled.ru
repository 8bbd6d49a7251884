# Passing neighbour of invalid/imaging-timing-not-controlled.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-imaging-baseline-all ekg:imagingTiming ?old } ;
INSERT DATA { kg:ember3-imaging-baseline-all ekg:imagingTiming ekg:SerialImaging }
