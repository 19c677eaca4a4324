package dev.pier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The traffic shares {@code traffic:split} asks for, checked before anything is sent.
 *
 * @param shares version number to percent, in the order given; the percents sum to 100
 * @param splitBy {@code random}, {@code cookie} or {@code ip}; null keeps the app's method
 */
record TrafficSplit(Map<Integer, Integer> shares, String splitBy) {
  static final Set<String> SPLIT_METHODS = Set.of("random", "cookie", "ip");
  private static final Pattern SHARE = Pattern.compile("[vV]?(\\d{1,9})=(.*)");

  TrafficSplit {
    shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
    if (shares.values().stream().mapToInt(Integer::intValue).sum() != 100) {
      throw new IllegalArgumentException("shares must sum to 100: " + shares);
    }
    if (splitBy != null && !SPLIT_METHODS.contains(splitBy)) {
      throw new IllegalArgumentException("unknown split method: " + splitBy);
    }
  }

  /**
   * Parses {@code vN=PERCENT} arguments ({@code v} optional) and the split method.
   *
   * @throws CliException naming the first bad argument: a malformed one, a version below 1, a
   *     percent that is not a whole number from 0 to 100, a version given twice, shares not
   *     summing to 100, or an unknown split method
   */
  static TrafficSplit parse(List<String> arguments, String splitBy) {
    if (splitBy != null && !SPLIT_METHODS.contains(splitBy)) {
      throw new CliException("Invalid --split-by '" + splitBy + "': use random, cookie or ip");
    }
    if (arguments.isEmpty()) {
      throw new CliException("Give each version's share of the traffic, such as v3=90 v4=10");
    }
    Map<Integer, Integer> shares = new LinkedHashMap<>();
    Map<Integer, String> given = new LinkedHashMap<>();
    for (String argument : arguments) {
      Matcher matcher = SHARE.matcher(argument);
      if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < 1) {
        throw new CliException("Invalid traffic share '" + argument + "': use vN=PERCENT, such as v3=90");
      }
      int version = Integer.parseInt(matcher.group(1));
      String percent = matcher.group(2);
      if (!percent.matches("\\d{1,3}") || Integer.parseInt(percent) > 100) {
        throw new CliException("Invalid traffic share '" + argument
            + "': the percent must be a whole number from 0 to 100");
      }
      if (given.containsKey(version)) {
        throw new CliException("Version v" + version + " is given twice: '" + given.get(version)
            + "' and '" + argument + "'");
      }
      given.put(version, argument);
      shares.put(version, Integer.parseInt(percent));
    }
    int sum = shares.values().stream().mapToInt(Integer::intValue).sum();
    if (sum != 100) {
      throw new CliException("Traffic shares must add up to 100%, but "
          + String.join(" ", arguments) + " add up to " + sum + "%");
    }
    return new TrafficSplit(shares, splitBy);
  }

  /** Returns the request body of {@code PUT /apps/{app}/traffic}. */
  ObjectNode body() {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode allocations = body.putObject("allocations");
    shares.forEach((version, percent) -> allocations.put(String.valueOf(version), percent));
    if (splitBy != null) {
      body.put("split_by", splitBy);
    }
    return body;
  }

  /** Returns {@code "v3 90%, v4 10%"}. */
  String describe() {
    List<String> parts = new ArrayList<>();
    shares.forEach((version, percent) -> parts.add("v" + version + " " + percent + "%"));
    return Format.list(parts);
  }
}
