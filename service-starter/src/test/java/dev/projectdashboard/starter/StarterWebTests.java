package dev.projectdashboard.starter;

import dev.projectdashboard.starter.testapp.StarterTestApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The test service on a random port with a client for it; subclasses share one context. */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
public abstract class StarterWebTests {

    @Autowired
    protected WebTestClient client;
}
