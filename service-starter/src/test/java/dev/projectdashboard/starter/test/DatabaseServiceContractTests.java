package dev.projectdashboard.starter.test;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;

/**
 * {@link ServiceContractTests} plus the database part of the contract: each service owns one PostgreSQL schema,
 * migrates it itself and its connections use it as the search path, so unqualified queries land there.
 */
public abstract class DatabaseServiceContractTests extends ServiceContractTests {

    @Autowired
    protected DatabaseClient database;

    /** The schema the service's migrations create and its connections use, e.g. {@code files}. */
    protected abstract String schema();

    /** One table of the service's first migration, e.g. {@code file_object}. */
    protected abstract String table();

    @Test
    void migratesItsOwnSchemaAndQueriesLandInIt() {
        StepVerifier.create(database.sql("select current_schema()")
                        .map(row -> row.get(0, String.class))
                        .one())
                .expectNext(schema())
                .verifyComplete();
        StepVerifier.create(database.sql(
                                "select count(*) from information_schema.tables where table_schema = :schema and table_name = :table")
                        .bind("schema", schema())
                        .bind("table", table())
                        .map(row -> row.get(0, Long.class))
                        .one())
                .expectNext(1L)
                .verifyComplete();
        // unqualified on purpose: it only resolves when the search path is the service's schema
        StepVerifier.create(database.sql("select count(*) from " + table())
                        .map(row -> row.get(0, Long.class))
                        .one())
                .expectNextCount(1)
                .verifyComplete();
    }
}
