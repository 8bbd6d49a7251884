# Passing neighbour of invalid/criterion-negative-duration.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-criterion-bm-stable ekg:thresholdValue ?old } ;
INSERT DATA { kg:ember3-criterion-bm-stable ekg:thresholdValue 0 }
