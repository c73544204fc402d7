package org.d2lcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.d2lcl.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        Path file = dir.resolve("t.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void theLabelIsChosenByNameByIndexOrIgnoringCase() throws IOException {
        CsvTable t = CsvTable.read(csv("a,price,c\n1,10,100\n2,20,200\n\n3,30,300\n"));
        assertEquals(List.of("a", "price", "c"), t.names());
        assertEquals(3, t.rows());
        assertEquals(1, t.column("price"));
        assertEquals(1, t.column("PRICE"));
        assertEquals(2, t.column("2"));
        Dataset d = t.dataset(t.column("price"));
        assertArrayEquals(new float[] {10, 20, 30}, d.labels());
        assertArrayEquals(new float[] {1, 100, 2, 200, 3, 300}, d.features(), "the other columns, in file order");
        assertEquals(List.of("a", "c"), t.namesWithout(1));
    }

    @Test
    void aFirstLineWithANumberIsDataAsInCsv() throws IOException {
        Path f = csv("x,0,y\n1,2,3\n");
        DataException e = assertThrows(DataException.class, () -> CsvTable.read(f));
        assertEquals(f + " line 1, column 1: 'x' is not a number (the line holds numbers too, so it is read as"
                + " data: a header has no numbers; quote a name that looks like one, \"1e5\")", e.getMessage());
    }

    @Test
    void withoutHeaderColumnsAreChosenByIndex() throws IOException {
        CsvTable t = CsvTable.read(csv("1,2\n3,4\n"));
        assertFalse(t.hasHeader());
        assertEquals(List.of(), t.namesWithout(0));
        assertArrayEquals(new float[] {1, 3}, t.dataset(0).labels());
        DataException e = assertThrows(DataException.class, () -> t.column("price"));
        assertEquals("column 'price': " + dir.resolve("t.csv")
                + " has no header line, so a column is chosen by its 0-based index, 0 to 1", e.getMessage());
    }

    @Test
    void anUnknownColumnListsTheOnesThereAre() throws IOException {
        CsvTable t = CsvTable.read(csv("a,b\n1,2\n"));
        DataException e = assertThrows(DataException.class, () -> t.column("price"));
        assertEquals("column 'price': " + dir.resolve("t.csv") + " has no column of that name; the columns are a, b",
                e.getMessage());
        e = assertThrows(DataException.class, () -> t.column("2"));
        assertEquals("column index 2: " + dir.resolve("t.csv")
                + " has 2 columns, so the index must be between 0 and 1; the columns are a, b", e.getMessage());
    }

    @Test
    void oneColumnIsATableButNotADataset() throws IOException {
        CsvTable t = CsvTable.read(csv("prediction\n1.5\n2.5\n"));
        assertArrayEquals(new float[] {1.5f, 2.5f}, t.select(new int[] {0}));
        DataException e = assertThrows(DataException.class, () -> t.dataset(0));
        assertEquals(dir.resolve("t.csv") + " has 1 column; at least 2 are needed (features and a label)",
                e.getMessage());
    }

    @Test
    void selectReordersColumns() throws IOException {
        CsvTable t = CsvTable.read(csv("1,2,3\n4,5,6\n"));
        assertArrayEquals(new float[] {3, 1, 6, 4}, t.select(new int[] {2, 0}));
    }

    @Test
    void aCsvDatasetBecomesATableWithItsHeader() throws IOException {
        Path file = csv("\uFEFFa,b,price\n1,2,3\n4,5,6\n");
        assertEquals(List.of("a", "b", "price"), CsvTable.header(file), "a byte-order mark is not part of a name");
        CsvTable t = CsvTable.of(Csv.read(file), CsvTable.header(file), file.toString());
        assertEquals(3, t.columns());
        assertArrayEquals(new float[] {1, 4}, t.dataset(t.column("a")).labels());
        assertArrayEquals(new float[] {2, 3, 5, 6}, t.dataset(t.column("a")).features());
        assertEquals(List.of(), CsvTable.header(csv("\n1,2\n")), "no header");
        DataException e = assertThrows(DataException.class,
                () -> CsvTable.of(Csv.read(csv("1,2\n")), List.of("a"), "f.csv"));
        assertEquals("1 column names for 2 columns in f.csv: there must be one per column, or none", e.getMessage());
    }

    @Test
    void badFilesSayWhereAndWhy() throws IOException {
        Path f = dir.resolve("t.csv");
        assertEquals(f + " line 3: 1 columns, expected 2 as in the first line",
                assertThrows(DataException.class, () -> CsvTable.read(csv("a,b\n1,2\n3\n"))).getMessage());
        assertEquals(f + " line 2, column 2: 'x' is not a number",
                assertThrows(DataException.class, () -> CsvTable.read(csv("a,b\n1,x\n"))).getMessage());
        assertEquals(f + " line 1, column 2: the name 'a' appears twice in the header; names must be unique",
                assertThrows(DataException.class, () -> CsvTable.read(csv("a,a\n1,2\n"))).getMessage());
        assertEquals(f + " line 1, column 1: an empty name in the header; every column needs a name",
                assertThrows(DataException.class, () -> CsvTable.read(csv(",b\n1,2\n"))).getMessage());
        assertEquals(f + ": a header but no data rows",
                assertThrows(DataException.class, () -> CsvTable.read(csv("a,b\n"))).getMessage());
        assertEquals(f + ": the file is empty; it needs rows of numbers",
                assertThrows(DataException.class, () -> CsvTable.read(csv("\n\n"))).getMessage());
        assertEquals(dir.resolve("none.csv") + ": no such file",
                assertThrows(DataException.class, () -> CsvTable.read(dir.resolve("none.csv"))).getMessage());
    }

    @Test
    void theDiabetesDataHas442RowsOf10FeaturesAndALabel() {
        CsvTable t = CsvTable.read(TestData.diabetes(dir));
        assertEquals(442, t.rows());
        assertEquals(List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"), t.names());
        Dataset d = t.dataset(t.column("progression"));
        // The first row of scikit-learn's diabetes_data_raw.csv.gz and diabetes_target.csv.gz.
        assertArrayEquals(new float[] {59, 2, 32.1f, 101, 157, 93.2f, 38, 4, 4.8598f, 87}, d.row(0));
        assertEquals(151f, d.labels()[0]);
    }
}
