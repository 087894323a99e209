-- The organisation's time zone (issue 20): every date a person reads — pages, e-mails, the
-- human columns of exports — is shown in it; the API and the database keep UTC. An IANA name,
-- checked by the application (sesame_core::Zone). Existing organisations take their country's
-- main zone, the same table as new ones (crates/core/src/zone.rs, COUNTRY_ZONES; a test
-- compares them), UTC for any other country.
ALTER TABLE organisations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
UPDATE organisations SET time_zone = CASE country
    WHEN 'FR' THEN 'Europe/Paris'
    WHEN 'BE' THEN 'Europe/Brussels'
    WHEN 'CH' THEN 'Europe/Zurich'
    WHEN 'LU' THEN 'Europe/Luxembourg'
    WHEN 'MC' THEN 'Europe/Monaco'
    WHEN 'CA' THEN 'America/Toronto'
    WHEN 'US' THEN 'America/New_York'
    WHEN 'GB' THEN 'Europe/London'
    WHEN 'DE' THEN 'Europe/Berlin'
    WHEN 'ES' THEN 'Europe/Madrid'
    WHEN 'IT' THEN 'Europe/Rome'
    WHEN 'PT' THEN 'Europe/Lisbon'
    WHEN 'NL' THEN 'Europe/Amsterdam'
    WHEN 'GP' THEN 'America/Guadeloupe'
    WHEN 'MQ' THEN 'America/Martinique'
    WHEN 'GF' THEN 'America/Cayenne'
    WHEN 'RE' THEN 'Indian/Reunion'
    WHEN 'YT' THEN 'Indian/Mayotte'
    WHEN 'PM' THEN 'America/Miquelon'
    WHEN 'NC' THEN 'Pacific/Noumea'
    WHEN 'PF' THEN 'Pacific/Tahiti'
    WHEN 'SN' THEN 'Africa/Dakar'
    WHEN 'CI' THEN 'Africa/Abidjan'
    WHEN 'MA' THEN 'Africa/Casablanca'
    WHEN 'TN' THEN 'Africa/Tunis'
    WHEN 'DZ' THEN 'Africa/Algiers'
    ELSE 'UTC'
END;
