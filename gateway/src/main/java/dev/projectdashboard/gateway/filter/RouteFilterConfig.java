package dev.projectdashboard.gateway.filter;

import org.springframework.cloud.gateway.support.HasRouteId;

/**
 * Base of the gateway's own filter configurations: Spring Cloud Gateway sets the route's id before it applies the
 * filter, so a filter can name its route in metrics it registers up front.
 */
public abstract class RouteFilterConfig implements HasRouteId {

    private String routeId;

    @Override
    public String getRouteId() {
        return routeId;
    }

    @Override
    public void setRouteId(String routeId) {
        this.routeId = routeId;
    }

    /** The route's id, or {@code none} for a filter applied outside a route definition. */
    public String routeOrNone() {
        return routeId == null ? "none" : routeId;
    }
}
