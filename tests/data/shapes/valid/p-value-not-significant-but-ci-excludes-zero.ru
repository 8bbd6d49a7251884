# Passing neighbour of invalid/p-value-not-significant-but-ci-excludes-zero.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m-p ekg:comparator ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m-p ekg:comparator "=" } ;
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m-p ekg:value ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m-p ekg:value 0.3 } ;
DELETE WHERE { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:lowerLimit ?old } ;
INSERT DATA { kg:ember3-result-pfs-rmst-difference-esr1m-ci ekg:lowerLimit "-0.1"^^xsd:decimal }
