package dev.projectdashboard.fileservice.storage;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The non-blocking S3 client every storage operation goes through, and the presigner for browser/device URLs. */
@Configuration(proxyBeanMethods = false)
class S3Configuration {

    @Bean(destroyMethod = "close")
    S3AsyncClient s3AsyncClient(S3Properties properties) {
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(Region.of(properties.region()))
                .credentialsProvider(credentials(properties))
                .serviceConfiguration(service -> service.pathStyleAccessEnabled(properties.pathStyle())
                        .chunkedEncodingEnabled(!properties.aliyunOss()))
                // S3-compatible servers (MinIO, OSS, s3proxy) lag behind AWS's default flexible checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(properties.requestTimeout())
                        .readTimeout(properties.requestTimeout())
                        .writeTimeout(properties.requestTimeout()))
                .overrideConfiguration(override -> override.apiCallTimeout(properties.requestTimeout()));
        if (properties.endpointOverride() != null) {
            builder.endpointOverride(properties.endpointOverride());
        }
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    S3Presigner s3Presigner(S3Properties properties) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(properties.region()))
                .credentialsProvider(credentials(properties))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(properties.pathStyle())
                        .chunkedEncodingEnabled(!properties.aliyunOss())
                        .build());
        if (properties.endpointOverride() != null) {
            builder.endpointOverride(properties.endpointOverride());
        }
        S3Presigner presigner = builder.build();
        warmUp(presigner, properties.bucket());
        return presigner;
    }

    /**
     * Signs once on the starting thread: the SDK initialises its signing and endpoint machinery lazily, and that first
     * initialisation, reached by concurrent first requests on event-loop threads, was once caught blocking by
     * BlockHound (DirectUploadTests' concurrent first reads).
     */
    private static void warmUp(S3Presigner presigner, String bucket) {
        presigner.presignGetObject(presign -> presign.signatureDuration(Duration.ofMinutes(1))
                .getObjectRequest(get -> get.bucket(bucket).key("warm-up")));
        presigner.presignPutObject(presign -> presign.signatureDuration(Duration.ofMinutes(1))
                .putObjectRequest(put -> put.bucket(bucket).key("warm-up")));
    }

    private static StaticCredentialsProvider credentials(S3Properties properties) {
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(properties.accessKey(), properties.secretKey()));
    }
}
