package dev.wsfanout.bench;

/**
 * The gateway's counters at one moment, counted from the start of a broadcast.
 *
 * @param atMillis   epoch ms
 * @param delivered  messages accepted for sockets and virtual connections (200s)
 * @param throttled  posts answered 429
 * @param posts      all posts, whatever they were answered
 */
public record DeliverySample(long atMillis, long delivered, long throttled, long posts) {
}
