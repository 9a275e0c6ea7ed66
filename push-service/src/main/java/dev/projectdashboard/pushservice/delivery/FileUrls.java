package dev.projectdashboard.pushservice.delivery;

import reactor.core.publisher.Mono;

/** Presigned download URLs of a task's files (file-service), for source 003's {@code {{file_url}}}. */
public interface FileUrls {

    /**
     * A URL valid for an hour to GET {@code file} (a result file name of the task, or its object key); empty when the
     * task has no such file; an error when file-service cannot answer.
     */
    Mono<String> downloadUrl(String taskId, String file);
}
