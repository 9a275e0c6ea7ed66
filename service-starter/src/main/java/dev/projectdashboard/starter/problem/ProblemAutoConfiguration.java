package dev.projectdashboard.starter.problem;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.json.JsonMapper;

/** RFC 9457 problem JSON for every error a service returns (see docs/contracts.md, Ports and public paths). */
@AutoConfiguration(
        beforeName = {
            // so that Boot's ProblemDetailsExceptionHandler and error handler back off in favour of ours
            "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
            "org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration"
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ProblemAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ProblemMapper problemMapper(ObjectProvider<JsonMapper> jsonMapper) {
        // the mapper that reads request bodies names their fields in validation problems
        return new ProblemMapper(jsonMapper.getIfAvailable(JsonMapper::shared));
    }

    @Bean
    @ConditionalOnMissingBean
    public ProblemResponseWriter problemResponseWriter(ServerCodecConfigurer serverCodecConfigurer) {
        return new ProblemResponseWriter(serverCodecConfigurer);
    }

    @Bean
    @ConditionalOnMissingBean
    public ProblemWebExceptionHandler problemWebExceptionHandler(ProblemMapper mapper, ProblemResponseWriter writer) {
        return new ProblemWebExceptionHandler(mapper, writer);
    }

    @Bean
    @ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
    public ProblemControllerAdvice problemControllerAdvice(ProblemMapper mapper) {
        return new ProblemControllerAdvice(mapper);
    }
}
