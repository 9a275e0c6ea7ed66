/** Spring Boot auto-configuration of the event bus; active only when the application brings Spring Boot. */
package dev.projectdashboard.eventbus.autoconfigure;
