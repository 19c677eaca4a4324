package dev.pier.cron;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule in App Engine's English form. Supported:
 *
 * <ul>
 *   <li>Intervals: {@code every N minutes} or {@code every N hours} ({@code mins}, {@code hrs}
 *       accepted), optionally {@code from HH:MM to HH:MM} and {@code synchronized}. Runs are
 *       aligned to the start of the range (00:00 without one), as App Engine's {@code
 *       synchronized} form: {@code every 2 hours from 09:00 to 17:00} runs at 09:00, 11:00, ...,
 *       17:00. Pier never times an interval from the end of the previous run.
 *   <li>Days: {@code every day 00:00}, {@code every monday 09:00}, {@code every mon,wed,fri
 *       18:30}, ordinals {@code 1st,3rd monday of month 09:00}, {@code second tue of
 *       jan,jul 10:00}, days of the month {@code 1,15 of month 00:00}; {@code of month} or
 *       {@code of MONTH[,MONTH]} may follow any day form.
 * </ul>
 *
 * Times are 24-hour {@code HH:MM} in the schedule's zone. When a time does not exist that day
 * (a daylight-saving gap) the run moves to the first instant after the gap.
 *
 * @param text the schedule as written
 * @param zone the time zone of its wall-clock times
 * @param days which dates runs fall on
 * @param times the times of day of the runs on those dates, ascending
 */
public record AppEngineSchedule(String text, ZoneId zone, DayRule days, List<LocalTime> times)
    implements Schedule {
  public static final String SYNTAX = "appengine";

  private static final int SEARCH_DAYS = 366 * 8;
  private static final Pattern TIME = Pattern.compile("([01]?\\d|2[0-3]):([0-5]\\d)");
  private static final String FORMS = "supported forms: 'every 5 minutes', 'every 2 hours from 09:00 to 17:00',"
      + " 'every day 00:00', 'every monday 09:00', '1st,3rd monday of month 09:00', '1,15 of month 00:00'";

  public AppEngineSchedule {
    times = List.copyOf(times);
  }

  /** Which dates a schedule runs on. */
  public record DayRule(Set<DayOfWeek> weekdays, Set<Integer> ordinals, Set<Integer> monthDays, Set<Month> months) {
    /** True when runs fall on {@code date}. */
    public boolean matches(LocalDate date) {
      if (!months.contains(date.getMonth())) return false;
      if (!monthDays.isEmpty()) return monthDays.contains(date.getDayOfMonth());
      if (!weekdays.contains(date.getDayOfWeek())) return false;
      return ordinals.isEmpty() || ordinals.contains((date.getDayOfMonth() - 1) / 7 + 1);
    }
  }

  @Override
  public String syntax() {
    return SYNTAX;
  }

  @Override
  public Instant next(Instant after) {
    LocalDate date = ZonedDateTime.ofInstant(after, zone).toLocalDate().minusDays(1);
    for (int i = 0; i < SEARCH_DAYS; i++, date = date.plusDays(1)) {
      if (!days.matches(date)) continue;
      for (LocalTime time : times) {
        Instant at = ZonedDateTime.of(date, time, zone).toInstant();
        if (at.isAfter(after)) return at;
      }
    }
    return null;
  }

  /** Parses the English form; the exception names the part that is wrong. */
  public static AppEngineSchedule parse(String text, ZoneId zone) throws ScheduleException {
    if (text == null || text.isBlank()) throw new ScheduleException("empty schedule (" + FORMS + ")");
    String normalized = text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s*,\\s*", ",");
    List<String> words = List.of(normalized.split("\\s+"));
    if (words.size() >= 3 && words.get(0).equals("every") && words.get(1).matches("\\d+")) {
      return interval(text.strip(), zone, words);
    }
    return days(text.strip(), zone, words);
  }

  private static AppEngineSchedule interval(String text, ZoneId zone, List<String> words) throws ScheduleException {
    long n;
    try {
      n = Long.parseLong(words.get(1));
    } catch (NumberFormatException e) {
      throw new ScheduleException("interval '" + words.get(1) + "' is too large");
    }
    long minutes = switch (words.get(2)) {
      case "minute", "minutes", "min", "mins" -> n;
      case "hour", "hours", "hr", "hrs" -> n * 60;
      default -> throw new ScheduleException("unknown interval unit '" + words.get(2) + "': use minutes or hours");
    };
    if (minutes < 1 || minutes > 24 * 60) {
      throw new ScheduleException("interval must be between 1 minute and 24 hours, got '" + words.get(1) + " " + words.get(2) + "'");
    }
    LocalTime from = LocalTime.MIDNIGHT;
    LocalTime to = LocalTime.of(23, 59);
    int i = 3;
    if (i < words.size() && words.get(i).equals("from")) {
      if (!"to".equals(at(words, i + 2)) || at(words, i + 3) == null) {
        throw new ScheduleException("expected 'from HH:MM to HH:MM'");
      }
      from = time(at(words, i + 1));
      to = time(at(words, i + 3));
      if (!from.isBefore(to)) throw new ScheduleException("'from " + from + "' must be before 'to " + to + "'");
      i += 4;
    }
    if (i < words.size() && words.get(i).equals("synchronized")) i++;
    if (i < words.size()) throw new ScheduleException("unexpected '" + words.get(i) + "' (" + FORMS + ")");
    List<LocalTime> times = new ArrayList<>();
    for (int m = from.getHour() * 60 + from.getMinute(); m <= to.getHour() * 60 + to.getMinute(); m += (int) minutes) {
      times.add(LocalTime.of(m / 60, m % 60));
    }
    DayRule every = new DayRule(EnumSet.allOf(DayOfWeek.class), Set.of(), Set.of(), EnumSet.allOf(Month.class));
    return new AppEngineSchedule(text, zone, every, times);
  }

  private static AppEngineSchedule days(String text, ZoneId zone, List<String> words) throws ScheduleException {
    if (words.size() < 2) throw new ScheduleException("'" + text + "' is not a schedule (" + FORMS + ")");
    LocalTime time = time(words.get(words.size() - 1));
    List<String> rest = words.subList(0, words.size() - 1);
    int i = 0;
    Set<Integer> ordinals = new TreeSet<>();
    Set<Integer> monthDays = new TreeSet<>();
    Set<DayOfWeek> weekdays = EnumSet.allOf(DayOfWeek.class);
    String first = rest.get(i);
    if (first.equals("every")) {
      i++;
    } else if (first.matches("\\d+(,\\d+)*")) {
      for (String d : first.split(",")) {
        int day = Integer.parseInt(d);
        if (day < 1 || day > 31) throw new ScheduleException("day of the month must be 1 to 31, got " + d);
        monthDays.add(day);
      }
      i++;
      if (!"of".equals(at(rest, i))) throw new ScheduleException("expected 'of month' after '" + first + "'");
    } else {
      for (String o : first.split(",")) ordinals.add(ordinal(o));
      i++;
    }
    if (monthDays.isEmpty()) {
      String dayWord = at(rest, i);
      if (dayWord == null) throw new ScheduleException("expected a day ('day', 'monday', 'mon,wed') (" + FORMS + ")");
      if (!dayWord.equals("day")) {
        weekdays = EnumSet.noneOf(DayOfWeek.class);
        for (String d : dayWord.split(",")) weekdays.add(weekday(d));
      } else if (!ordinals.isEmpty()) {
        throw new ScheduleException("'" + first + " day' is not supported: use days of the month such as '1,15 of month'");
      }
      i++;
    }
    Set<Month> months = EnumSet.allOf(Month.class);
    if ("of".equals(at(rest, i))) {
      String monthWord = at(rest, i + 1);
      if (monthWord == null) throw new ScheduleException("expected 'month' or month names after 'of'");
      if (!monthWord.equals("month")) {
        months = EnumSet.noneOf(Month.class);
        for (String m : monthWord.split(",")) months.add(month(m));
      }
      i += 2;
    }
    if (i < rest.size()) throw new ScheduleException("unexpected '" + rest.get(i) + "' (" + FORMS + ")");
    return new AppEngineSchedule(text, zone, new DayRule(weekdays, ordinals, monthDays, months), List.of(time));
  }

  private static String at(List<String> words, int i) {
    return i < words.size() ? words.get(i) : null;
  }

  private static LocalTime time(String word) throws ScheduleException {
    Matcher m = word == null ? null : TIME.matcher(word);
    if (m == null || !m.matches()) {
      throw new ScheduleException("expected a 24-hour time such as 09:00, got '" + (word == null ? "" : word) + "'");
    }
    return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  private static final Map<String, Integer> ORDINALS = Map.of(
      "1st", 1, "first", 1, "2nd", 2, "second", 2, "3rd", 3, "third", 3,
      "4th", 4, "fourth", 4, "5th", 5, "fifth", 5);

  private static int ordinal(String word) throws ScheduleException {
    Integer n = ORDINALS.get(word);
    if (n == null) {
      throw new ScheduleException("expected 'every', an ordinal (1st..5th, first..fifth) or days of the month, got '" + word + "'");
    }
    return n;
  }

  private static DayOfWeek weekday(String word) throws ScheduleException {
    for (DayOfWeek d : DayOfWeek.values()) {
      String full = d.name().toLowerCase(Locale.ROOT);
      if (word.equals(full) || word.equals(full.substring(0, 3))) return d;
    }
    throw new ScheduleException("unknown day '" + word + "' (use monday..sunday, mon..sun, or day)");
  }

  private static Month month(String word) throws ScheduleException {
    for (Month m : Month.values()) {
      String full = m.name().toLowerCase(Locale.ROOT);
      if (word.equals(full) || word.equals(full.substring(0, 3)) || (full.equals("september") && word.equals("sept"))) {
        return m;
      }
    }
    throw new ScheduleException("unknown month '" + word + "' (use january..december, jan..dec, or month)");
  }
}
