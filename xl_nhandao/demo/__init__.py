"""The demo province (SPEC §5.6): synthetic submissions with the mistakes clerks make
(``synth``), validated and consolidated end to end (``run``)."""
