/**
 * Typed {@code data} of every event type. Field names are those of the source documents the suite was specified
 * from, as docs/contracts.md writes them down (source 000 for {@code task.*}, {@code notification} and
 * {@code file.*}, 001 for {@code device.*}, 002 for {@code deployment.*}, 003 for {@code webhook.*}; a record's
 * Javadoc names its source, and that page's section of the source has the fields). snake_case on the wire through
 * explicit {@code @JsonProperty}, so the format does not depend on how a service configures its own mapper. Absent
 * optional fields are left out.
 */
package dev.projectdashboard.eventbus.payload;
