-- Phone numbers are matched by their national significant number, the digits after the
-- country code and the trunk prefix (`search::phone`), so "(415) 555-0101" finds
-- "+1 415 555 0101" and "020 7946 0958" finds "+44 20 7946 0958". Keys stored before were
-- all the digits; `kith_phone_key` is that Rust function, registered for this migration.
UPDATE contact_details SET match_key = kith_phone_key(value) WHERE kind = 'phone';
