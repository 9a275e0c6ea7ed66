package dev.projectdashboard.pushservice.delivery;

/** A delivery this replica holds the lease of, with its event: ready to attempt. */
public record DueDelivery(Delivery delivery, PushEvent event) {}
