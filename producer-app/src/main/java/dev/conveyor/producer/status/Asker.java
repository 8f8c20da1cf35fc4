package dev.conveyor.producer.status;

import java.util.function.Predicate;

/**
 * Who asks the status view.
 *
 * @param maySee        of which submitters (API key ids, or null for none) the asker may see tasks; any
 *                      other task is answered as unknown, so its existence is not given away
 * @param authorization the request's {@code Authorization} header, passed on when the request is forwarded
 *                      to the instance holding the task, which checks it again; null when there is none
 * @param forwarded     whether another instance forwarded the request: it is then answered from this
 *                      instance's stores only
 */
record Asker(Predicate<String> maySee, String authorization, boolean forwarded) {
}
