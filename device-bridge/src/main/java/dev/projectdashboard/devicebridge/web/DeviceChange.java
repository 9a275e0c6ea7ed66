package dev.projectdashboard.devicebridge.web;

import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A PATCH body, read by hand because a field sent as {@code null} ({@code "owner_id": null}: remove the owner) and
 * one not sent (keep it) must differ, which a record cannot tell.
 */
record DeviceChange(String name, String ownerId, Boolean enabled, boolean clearOwner) {

    private static final Set<String> FIELDS = Set.of("name", "owner_id", "enabled");

    static DeviceChange of(JsonNode body) {
        List<FieldViolation> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid(
                    "Invalid request body", List.of(new FieldViolation("body", "must be a JSON object")));
        }
        body.propertyNames().forEach(field -> {
            if (!FIELDS.contains(field)) {
                errors.add(new FieldViolation(field, "is not a field of a device that can be changed"));
            }
        });
        String name = null;
        JsonNode nameNode = body.get("name");
        if (nameNode != null) {
            if (!nameNode.isString()
                    || nameNode.asString().isEmpty()
                    || nameNode.asString().length() > 200) {
                errors.add(new FieldViolation("name", "must be 1-200 characters"));
            } else {
                name = nameNode.asString();
            }
        }
        String owner = null;
        boolean clearOwner = false;
        JsonNode ownerNode = body.get("owner_id");
        if (ownerNode != null) {
            if (ownerNode.isNull()) {
                clearOwner = true;
            } else if (!ownerNode.isString() || !DashboardPrincipal.isValidUserId(ownerNode.asString())) {
                errors.add(new FieldViolation("owner_id", "must be " + DashboardPrincipal.USER_ID_RULE + " or null"));
            } else {
                owner = ownerNode.asString();
            }
        }
        Boolean enabled = null;
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null) {
            if (!enabledNode.isBoolean()) {
                errors.add(new FieldViolation("enabled", "must be true or false"));
            } else {
                enabled = enabledNode.asBoolean();
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("Invalid request body", errors);
        }
        return new DeviceChange(name, owner, enabled, clearOwner);
    }
}
