# One image pattern for every Conveyor app: the app is a build argument, so a new app module needs no
# Dockerfile of its own. Build the runnable jars first, then each image:
#   ./mvnw -B package -DskipTests
#   docker build --build-arg APP=processor-app -t conveyor/processor-app:0.1.0-SNAPSHOT .
# (podman: podman build --format docker ..., since the OCI image format has no HEALTHCHECK.)
# BASE_IMAGE is any image with a Java 21+ runtime as `java` on the PATH and a POSIX shell with awk
# (the jvm-options stage runs one).
ARG BASE_IMAGE=eclipse-temurin:21-jre

# The JVM options that keep the log free of the JDK's warnings about Netty's and lz4's use of Unsafe and
# native code: the same selection as ./run-local.sh (.mvn/jdk.sh), made by the image's own java, because
# an option that java does not know stops it.
FROM ${BASE_IMAGE} AS jvm-options
COPY .mvn/jdk.sh /tmp/jdk.sh
RUN . /tmp/jdk.sh \
 && JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" \
 && quiet_jvm_options | tr ' ' '\n' > /tmp/quiet-jvm.options

FROM ${BASE_IMAGE}
ARG APP
ARG VERSION=0.1.0-SNAPSHOT
COPY --from=jvm-options /tmp/quiet-jvm.options /opt/conveyor/quiet-jvm.options
COPY ${APP}/target/conveyor-${APP}-${VERSION}-all.jar /opt/conveyor/app.jar
# any unprivileged id: nothing in the image is written to but /tmp (Kafka Streams state of producer-app)
USER 10001:10001
ENV HTTP_PORT=8080
EXPOSE 8080
# the image's java asks the app for GET /health: no curl in the image is assumed; a small heap keeps the
# probe's own JVM within the container's memory limit beside the app, and it leaves no perf-data file behind
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["java", "-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", \
       "-cp", "/opt/conveyor/app.jar", "dev.conveyor.http.HealthProbe"]
# exec form: java is PID 1 and gets the SIGTERM of docker stop, so the app drains before it exits (exit 143).
# The heap is a share of the container's memory limit; the rest holds metaspace, thread stacks, code
# and direct buffers. Out of heap, the JVM exits and the orchestrator restarts it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError", "@/opt/conveyor/quiet-jvm.options", \
            "-jar", "/opt/conveyor/app.jar"]
