package dev.conveyor.notifier;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import dev.conveyor.NotificationChannel;
import dev.conveyor.NotificationChannelFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The notification channels found on the class path ({@link ServiceLoader}), and the ones chosen by name. */
final class ChannelRegistry {

    private ChannelRegistry() {
    }

    /** Creates the channels named in {@code names}, in that order; an unknown name is a {@link ConfigException}. */
    static List<NotificationChannel> discover(List<String> names, Env env) {
        Map<String, NotificationChannelFactory> found = new TreeMap<>();
        for (NotificationChannelFactory factory : ServiceLoader.load(NotificationChannelFactory.class)) {
            if (found.putIfAbsent(factory.name(), factory) != null) {
                throw new ConfigException(NotifierAppConfig.CHANNELS, "two channel plugins are named '" + factory.name() + "'");
            }
        }
        List<NotificationChannel> channels = new ArrayList<>();
        for (String name : names) {
            NotificationChannelFactory factory = found.get(name);
            if (factory == null) {
                throw new ConfigException(NotifierAppConfig.CHANNELS, "'" + name + "' is not a channel; found: " + found.keySet());
            }
            channels.add(factory.create(env));
        }
        return channels;
    }
}
