// Used by ./mvnw when the machine has no curl/wget or no sha256sum/shasum: the JDK alone does the job.
//   java Downloader.java <url> <dest>      downloads url to dest (following redirects)
//   java Downloader.java --sha256 <file>   prints the file's SHA-256 in lower-case hex
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

class Downloader {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java Downloader.java <url> <dest> | --sha256 <file>");
            System.exit(2);
        }
        if (args[0].equals("--sha256")) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
            }
            System.out.println(HexFormat.of().formatHex(sha.digest()));
            return;
        }
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(args[0])).build(),
                HttpResponse.BodyHandlers.ofFile(Path.of(args[1])));
        if (response.statusCode() != 200) {
            System.err.println("HTTP " + response.statusCode() + " for " + args[0]);
            System.exit(1);
        }
    }
}
