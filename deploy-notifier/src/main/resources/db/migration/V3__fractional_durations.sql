-- Durations may be fractional seconds (GitHub's own timings, `date +%s.%N` arithmetic in shell steps). numeric keeps
-- the value as sent (the service rounds it to the microsecond, the precision of timestamptz) in the same unit and
-- column, so whole durations stay whole and the statistics' percentiles are unchanged. The checks (>= 0) stay.
alter table deployment alter column duration_seconds type numeric;
alter table deployment_step alter column duration_seconds type numeric;
