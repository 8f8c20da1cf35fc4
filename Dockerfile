# One image per app: docker build --build-arg APP=processor-app .
# Build the jars first: ./mvnw -B package -DskipTests
FROM eclipse-temurin:21-jre
ARG APP
COPY ${APP}/target/conveyor-${APP}-0.1.0-SNAPSHOT-all.jar /opt/conveyor/app.jar
USER 1000
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/conveyor/app.jar"]
