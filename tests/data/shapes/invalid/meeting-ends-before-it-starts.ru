# A meeting whose end date is before its start date.
# expect: Violation ekgsh:ScientificMeetingShape kg:meeting-sabcs-2024
DELETE WHERE { kg:meeting-sabcs-2024 ekg:endDate ?old } ;
INSERT DATA { kg:meeting-sabcs-2024 ekg:endDate "2024-12-09"^^xsd:date }
